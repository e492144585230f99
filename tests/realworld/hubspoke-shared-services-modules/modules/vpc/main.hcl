# The part of aws-ia/vpc (v3.1.1) this sample uses: a VPC, private subnets of each
# type in each AZ with a route table each, the transit gateway attachment's subnets,
# and the routes of `transit_gateway_routes` from private subnets to the transit
# gateway. See SOURCE.md.

variable "name" {
  type = string
}

variable "cidr_block" {
  type = string
}

# The module slices the region's AZ names (`az_count`); here the caller passes them.
variable "azs" {
  type = list(string)
}

# Subnet type => `{ cidrs = [one per AZ] }` or `{ netmask = N }`. `transit_gateway`
# is the attachment's subnets; every other type is private.
variable "subnets" {
  type = any
}

# The VPC CIDR's prefix length, to compute the subnets given by `netmask` (vpce has
# no `split` to read it from `cidr_block`).
variable "cidr_prefix_length" {
  type    = number
  default = 0
}

variable "transit_gateway_id" {
  type = string
}

# Subnet type => the destination routed to the transit gateway.
variable "transit_gateway_routes" {
  type    = map(string)
  default = {}
}

# The networks whose traffic arrives through the attachment (vpce's `remote_network`;
# on AWS the transit gateway's route tables decide it).
variable "transit_gateway_sources" {
  type = list(string)
}

variable "vpc_enable_dns_hostnames" {
  type    = bool
  default = true
}

locals {
  az_index = { for i, az in var.azs : az => i }

  # modules/calculate_subnets: subnets given by `netmask` are carved from the VPC CIDR
  # one after another, type by type (key order), AZ by AZ. Every netmask here is the
  # same, so the n-th subnet is the n-th block of that size.
  calculated_types    = [for type, definition in var.subnets : type if lookup(definition, "netmask", 0) > 0]
  calculated_position = { for i, type in local.calculated_types : type => i }

  cidrs = {
    for type, definition in var.subnets : type => {
      for az in var.azs : az => lookup(definition, "netmask", 0) > 0 ? cidrsubnet(
        var.cidr_block,
        definition.netmask - var.cidr_prefix_length,
        local.calculated_position[type] * length(var.azs) + local.az_index[az]
      ) : definition.cidrs[local.az_index[az]]
    }
  }

  # `private_per_az`: one private subnet per type and AZ, keyed "TYPE/AZ".
  private_types = [for type in keys(var.subnets) : type if type != "transit_gateway"]
  private_per_az = {
    for pair in flatten([
      for az in var.azs : [
        for type in local.private_types : { key = "${type}/${az}", type = type, az = az }
      ]
    ]) : pair.key => pair
  }
}

vpc "main" {
  cidr          = var.cidr_block
  dns_support   = true
  dns_hostnames = var.vpc_enable_dns_hostnames
  tags = {
    Name = var.name
  }
}

# What arrives through the transit gateway attachment, and where the routes to the
# transit gateway lead (`TransitGatewayId`).
remote_network "transit_gateway" {
  vpc     = vpc.main
  via     = "transit_gateway"
  cidrs   = var.transit_gateway_sources
  gateway = var.transit_gateway_id
}

route_table "private" {
  for_each = local.private_per_az
  vpc      = vpc.main
  # aws_route.private_to_tgw, for the types listed in `transit_gateway_routes`.
  dynamic "route" {
    for_each = contains(keys(var.transit_gateway_routes), each.value.type) ? [var.transit_gateway_routes[each.value.type]] : []
    content {
      destination = route.value
      target      = remote_network.transit_gateway
    }
  }

  tags = {
    Name = "${var.name}-${each.value.type}-${each.value.az}"
  }
}

subnet "private" {
  for_each    = local.private_per_az
  vpc         = vpc.main
  az          = each.value.az
  cidr        = local.cidrs[each.value.type][each.value.az]
  route_table = route_table.private[each.key]
  tags = {
    Name = "${var.name}-${each.value.type}-${each.value.az}"
  }
}

# The attachment's subnets, each with its own route table (only the local route: no
# public subnets, so no NAT gateway to route to).
route_table "tgw" {
  for_each = toset(var.azs)
  vpc      = vpc.main
  tags = {
    Name = "${var.name}-transit_gateway-${each.key}"
  }
}

subnet "tgw" {
  for_each    = toset(var.azs)
  vpc         = vpc.main
  az          = each.key
  cidr        = local.cidrs["transit_gateway"][each.key]
  route_table = route_table.tgw[each.key]
  tags = {
    Name = "${var.name}-transit_gateway-${each.key}"
  }
}

output "vpc_attributes" {
  value = vpc.main
}

output "private_subnet_attributes_by_az" {
  value = subnet.private
}

output "tgw_subnet_attributes_by_az" {
  value = subnet.tgw
}

output "azs" {
  value = var.azs
}

# Not an output of aws-ia/vpc: the transit gateway as the VPC sees it, for `expect`.
output "transit_gateway_network" {
  value = remote_network.transit_gateway
}
