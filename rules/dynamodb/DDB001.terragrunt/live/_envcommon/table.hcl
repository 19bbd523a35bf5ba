# Shared by several units: PITR off for all of them.
inputs = {
  pitr = false
}
