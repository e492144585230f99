# What on-premises and the VPC must be able to reach, and how.

# On-premises to S3: through the S3 interface endpoint. If someone deleted
# it, S3 would only be reachable through the gateway endpoint, which cannot
# carry traffic from Direct Connect, and this check would fail.
expect "datacenter_reaches_s3_privately" {
  from    = remote_network.datacenter
  to      = "s3"
  private = true
}

expect "branches_reach_s3_privately" {
  from    = remote_network.branches
  to      = "s3"
  private = true
}

# On-premises to Systems Manager.
expect "datacenter_reaches_ssm_privately" {
  from    = remote_network.datacenter
  to      = "ssm"
  private = true
}

expect "branches_reach_ssm_privately" {
  from    = remote_network.branches
  to      = "ssm"
  private = true
}

# In the VPC, S3 goes through the gateway endpoint.
expect "app_reaches_s3_privately" {
  from    = subnet.app_a
  to      = "s3"
  private = true
}

# And the VPC has no way to the internet.
expect "app_has_no_internet" {
  from      = subnet.app_a
  to        = "internet"
  reachable = false
}
