# no terraform { source }: the unit's own directory is the module
inputs = {
  # ruleid: DDB001
  pitr = false
}
