protect = "false"
