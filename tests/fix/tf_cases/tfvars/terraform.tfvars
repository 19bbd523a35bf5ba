# shared
pitr   = false # for now
