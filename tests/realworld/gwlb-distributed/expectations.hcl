# What the design intends: each application subnet reaches the internet only
# through the appliances (via the GWLB endpoint of its own AZ), and reaches
# Session Manager privately.

expect "application_1_reaches_internet" {
  from = subnet.application_1
  to   = "internet"
}

expect "application_2_reaches_internet" {
  from = subnet.application_2
  to   = "internet"
}

expect "application_1_ssm_private" {
  from    = subnet.application_1
  to      = "ssm"
  private = true
}

expect "application_2_ssmmessages_private" {
  from    = subnet.application_2
  to      = "ssmmessages"
  private = true
}

expect "appliances_ec2messages_private" {
  from    = subnet.appliance_public_1
  to      = "ec2messages"
  private = true
}
