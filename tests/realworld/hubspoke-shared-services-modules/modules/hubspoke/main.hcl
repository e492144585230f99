# The part of aws-ia/network-hubandspoke (v2.0.0) this sample uses: the central VPCs,
# each an aws-ia/vpc with its `transit_gateway` subnets, and for the shared services
# VPC, a route from its `endpoints` subnets to the transit gateway for 0.0.0.0/0. The
# transit gateway, its route tables, associations and propagations are not vpce
# objects: an existing transit gateway stands for them (see SOURCE.md).

variable "identifier" {
  type = string
}

# vpce does not create transit gateways: the module's `transit_gateway_id` input
# (an existing one) replaces `transit_gateway_attributes`.
variable "transit_gateway_id" {
  type = string
}

# `{ type = "PREFIX_LIST", value = [...] }`: the module reads the prefix list's entries
# (`network_cidr_list`); here the caller passes them.
variable "network_definition" {
  type = any
}

# Central VPC key => `{ name, cidr_block, cidr_prefix_length, az_count, subnets }`.
variable "central_vpcs" {
  type = any
}

# The region's AZ names (the module reads them with a data source).
variable "azs" {
  type = list(string)
}

locals {
  # `transit_gateway_routes`: the shared services VPC without "dns" subnets routes
  # 0.0.0.0/0 from its `endpoints` subnets to the transit gateway.
  transit_gateway_routes = {
    shared_services = { endpoints = "0.0.0.0/0" }
  }
}

module "central_vpcs" {
  for_each = var.central_vpcs
  source   = "../vpc"

  name               = lookup(each.value, "name", each.key)
  cidr_block         = each.value.cidr_block
  cidr_prefix_length = each.value.cidr_prefix_length
  azs                = [for i in range(each.value.az_count) : var.azs[i]]
  subnets            = each.value.subnets

  transit_gateway_id     = var.transit_gateway_id
  transit_gateway_routes = local.transit_gateway_routes[each.key]
  # Every spoke propagates to the central VPCs' transit gateway route tables.
  transit_gateway_sources = var.network_definition.value
}

output "central_vpcs" {
  value = module.central_vpcs
}

output "transit_gateway" {
  value = { id = var.transit_gateway_id }
}
