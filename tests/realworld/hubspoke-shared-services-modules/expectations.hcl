# The design's intent: every spoke reaches the four services privately, through the
# shared services VPC's endpoints (the spokes' traffic arrives over the transit
# gateway; replies return by the `endpoints` subnets' 0.0.0.0/0 route to it).
expect "spokes_reach_services_privately" {
  for_each = local.endpoint_service_names
  from     = local.shared_services.transit_gateway_network
  to       = each.key
  private  = true
}

locals {
  # Every workload subnet of every spoke, keyed "SPOKE/AZ".
  spoke_workload_subnets = {
    for pair in flatten([
      for name, spoke in module.spoke_vpcs : [
        for az in spoke.azs : { key = "${name}/${az}", subnet = spoke.private_subnet_attributes_by_az["workload/${az}"] }
      ]
    ]) : pair.key => pair.subnet
  }
}

# No spoke reaches the internet: there is no egress VPC, no NAT or internet gateway
# anywhere, and the transit gateway has no default route.
expect "spokes_have_no_internet" {
  for_each  = local.spoke_workload_subnets
  from      = each.value
  to        = "internet"
  reachable = false
}
