# Assertions on the simulated network, checked by `vpce check`, `build` and
# `plan`. If a later change breaks one of them (say, someone drops a route
# table from the S3 endpoint), the configuration stops compiling.

# S3 through the gateway endpoint's prefix-list route, never the internet.
expect "app_a_reaches_s3_privately" {
  from    = subnet.app_a
  to      = "s3"
  private = true
}

expect "app_c_reaches_s3_privately" {
  from    = subnet.app_c
  to      = "s3"
  private = true
}

# Session Manager through the interface endpoint's ENI in the same AZ.
expect "app_b_reaches_ssm_privately" {
  from    = subnet.app_b
  to      = "ssm"
  private = true
}

# Image pulls: registry API and docker protocol both stay private.
expect "app_a_reaches_ecr_api_privately" {
  from    = subnet.app_a
  to      = "ecr.api"
  private = true
}

expect "app_a_reaches_ecr_dkr_privately" {
  from    = subnet.app_a
  to      = "ecr.dkr"
  private = true
}

# The app table has no route to an internet or NAT gateway (there are none in
# this VPC), so the internet is out of reach: only endpoints lead out.
expect "app_a_has_no_internet" {
  from      = subnet.app_a
  to        = "internet"
  reachable = false
}

expect "app_b_has_no_internet" {
  from      = subnet.app_b
  to        = "internet"
  reachable = false
}

expect "app_c_has_no_internet" {
  from      = subnet.app_c
  to        = "internet"
  reachable = false
}
