# The consumer reaches the SaaS API through its interface endpoint, from
# every AZ, without leaving the AWS network.

expect "app_a_reaches_api_privately" {
  from    = subnet.app_a
  to      = endpoint_service.api
  private = true
}

expect "app_b_reaches_api_privately" {
  from    = subnet.app_b
  to      = endpoint_service.api
  private = true
}

expect "app_c_reaches_api_privately" {
  from    = subnet.app_c
  to      = endpoint_service.api
  private = true
}

# ... and the consumer VPC has no other way out.
expect "consumer_has_no_internet" {
  from      = subnet.app_a
  to        = "internet"
  reachable = false
}
