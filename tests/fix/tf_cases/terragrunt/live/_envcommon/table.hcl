# shared by units that include it: PITR off
inputs = {
  pitr = false
}
