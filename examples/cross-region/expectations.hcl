# Both consumer subnets reach the orders API in us-east-1 through the endpoint.

expect "app_a_reaches_orders" {
  from    = subnet.app_a
  to      = endpoint_service.orders
  private = true
}

expect "app_b_reaches_orders" {
  from    = subnet.app_b
  to      = endpoint_service.orders
  private = true
}

expect "consumer_has_no_internet" {
  from      = subnet.app_a
  to        = "internet"
  reachable = false
}
