# Hub and spoke with a shared services VPC: spoke VPCs attached to a transit gateway
# reach AWS services (Systems Manager and S3) through interface endpoints that live
# only in a central shared services VPC, found through private hosted zones
# associated with the spokes. Translated from
# aws-samples/hub-and-spoke-with-shared-services-vpc-terraform (see SOURCE.md).

region = "eu-west-2"

variable "identifier" {
  type        = string
  description = "Project name, used as identifier when creating resources."
  default     = "hubspoke-shared-services"
}

variable "vpcs" {
  type        = any
  description = "Spoke VPCs to create."
  default = {
    "spoke-vpc-1" = {
      cidr_block       = "10.0.0.0/24"
      workload_subnets = ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26"]
      tgw_subnets      = ["10.0.0.192/28", "10.0.0.208/28", "10.0.0.224/28"]
      number_azs       = 2
    }
    "spoke-vpc-2" = {
      cidr_block       = "10.0.1.0/24"
      workload_subnets = ["10.0.1.0/26", "10.0.1.64/26", "10.0.1.128/26"]
      tgw_subnets      = ["10.0.1.192/28", "10.0.1.208/28", "10.0.1.224/28"]
      number_azs       = 2
    }
  }
}

variable "shared_services_vpc" {
  type        = any
  description = "Shared services VPC."
  default = {
    cidr_block               = "10.129.0.0/24"
    cidr_prefix_length       = 24
    endpoints_subnet_netmask = 28
    tgw_subnet_netmask       = 28
    number_azs               = 2
  }
}

variable "on_premises_cidr" {
  type        = string
  description = "On-premises CIDR block."
  default     = "192.168.0.0/16"
}

locals {
  # The region's first AZs (the modules slice `aws_availability_zones`' names; AZ ids
  # here, as vpce prefers: names map to different zones in each account).
  azs = ["euw2-az1", "euw2-az2", "euw2-az3"]

  # An existing transit gateway (made-up id) stands for the one the hub module creates.
  transit_gateway_id = "tgw-0a1b2c3d4e5f67890"

  # aws_ec2_managed_prefix_list_entry.entry (for_each = var.vpcs): the spokes' CIDRs.
  prefix_list_entries = [for name, spoke in var.vpcs : spoke.cidr_block]

  # Security groups: the spokes' instances, and in the shared services VPC the
  # endpoints' and the Route 53 Resolver endpoints'. `from`/`to` become `ports`
  # (null for all ports).
  security_groups = {
    instance = {
      description = "Instance SG (Allowing ICMP and HTTP/HTTPS access)"
      ingress = {
        icmp = { description = "Allowing ICMP traffic", ports = null, protocol = "icmp", cidr_blocks = ["0.0.0.0/0"] }
      }
      egress = {
        any = { description = "Any traffic", ports = null, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] }
      }
    }
    vpc_endpoints = {
      description = "Security Group for SSM connection"
      ingress = {
        https = { description = "Allowing HTTPS", ports = 443, protocol = "tcp", cidr_blocks = ["0.0.0.0/0"] }
      }
      egress = {
        any = { description = "Any traffic", ports = null, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] }
      }
    }
    r53_inbound_endpoint = {
      description = "Security Group for R53 Resolver Inbound Endpoints"
      ingress = {
        tcp_access = { description = "Allowing DNS traffic (TCP)", ports = 53, protocol = "tcp", cidr_blocks = [var.on_premises_cidr] }
        udp_access = { description = "Allowing DNS traffic (UDP)", ports = 53, protocol = "udp", cidr_blocks = [var.on_premises_cidr] }
      }
      egress = {
        any = { description = "Any traffic", ports = null, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] }
      }
    }
    r53_outbound_endpoint = {
      description = "Security Group for R53 Resolver Outbound Endpoints"
      ingress = {
        tcp_access = { description = "Allowing DNS traffic (TCP)", ports = 53, protocol = "tcp", cidr_blocks = ["0.0.0.0/0"] }
        udp_access = { description = "Allowing DNS traffic (UDP)", ports = 53, protocol = "udp", cidr_blocks = ["0.0.0.0/0"] }
      }
      egress = {
        any = { description = "Any traffic", ports = null, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] }
      }
    }
  }

  # The central endpoints, private DNS off: each service's name is a private hosted
  # zone associated with the spokes, aliased to the endpoint.
  endpoint_service_names = {
    ssm         = { name = "com.amazonaws.eu-west-2.ssm", type = "Interface", private_dns = false }
    ssmmessages = { name = "com.amazonaws.eu-west-2.ssmmessages", type = "Interface", private_dns = false }
    ec2messages = { name = "com.amazonaws.eu-west-2.ec2messages", type = "Interface", private_dns = false }
    s3          = { name = "com.amazonaws.eu-west-2.s3", type = "Interface", private_dns = false }
  }

  shared_services = module.hubspoke.central_vpcs["shared_services"]
}

# ---------- SPOKE VPCS (aws-ia/vpc, one per entry of var.vpcs) ----------
module "spoke_vpcs" {
  for_each = var.vpcs
  source   = "./modules/vpc"

  name       = each.key
  cidr_block = each.value.cidr_block
  azs        = [for i in range(each.value.number_azs) : local.azs[i]]

  transit_gateway_id = module.hubspoke.transit_gateway.id
  transit_gateway_routes = {
    workload = "0.0.0.0/0"
  }
  # With no inspection VPC the spokes propagate to each other's route table, and the
  # shared services VPC to theirs.
  transit_gateway_sources = concat(
    [var.shared_services_vpc.cidr_block],
    [for name, spoke in var.vpcs : spoke.cidr_block if name != each.key]
  )

  subnets = {
    workload        = { cidrs = [for i in range(each.value.number_azs) : each.value.workload_subnets[i]] }
    transit_gateway = { cidrs = [for i in range(each.value.number_azs) : each.value.tgw_subnets[i]] }
  }
}

# The spokes' instances' security group, one per spoke VPC.
security_group "spoke_vpc_sg" {
  for_each    = module.spoke_vpcs
  vpc         = each.value.vpc_attributes
  description = local.security_groups.instance.description
  dynamic "ingress" {
    for_each = local.security_groups.instance.ingress
    content {
      description = ingress.value.description
      protocol    = ingress.value.protocol
      ports       = ingress.value.ports
      cidrs       = ingress.value.cidr_blocks
    }
  }

  dynamic "egress" {
    for_each = local.security_groups.instance.egress
    content {
      description = egress.value.description
      protocol    = egress.value.protocol
      ports       = egress.value.ports
      cidrs       = egress.value.cidr_blocks
    }
  }

  tags = {
    Name = "${each.key}-instance-security-group-${var.identifier}"
  }
}

# ---------- HUB AND SPOKE (aws-ia/network-hubandspoke) ----------
module "hubspoke" {
  source     = "./modules/hubspoke"
  identifier = var.identifier
  azs        = local.azs

  transit_gateway_id = local.transit_gateway_id

  network_definition = {
    type  = "PREFIX_LIST"
    value = local.prefix_list_entries
  }

  central_vpcs = {
    shared_services = {
      name               = "shared-services-vpc"
      cidr_block         = var.shared_services_vpc.cidr_block
      cidr_prefix_length = var.shared_services_vpc.cidr_prefix_length
      az_count           = var.shared_services_vpc.number_azs
      subnets = {
        endpoints       = { netmask = var.shared_services_vpc.endpoints_subnet_netmask }
        transit_gateway = { netmask = var.shared_services_vpc.tgw_subnet_netmask }
      }
    }
  }
}

# ---------- VPC ENDPOINTS (in the shared services VPC) ----------
endpoint "endpoint" {
  for_each = local.endpoint_service_names
  type     = lower(each.value.type)
  service  = each.value.name
  vpc      = local.shared_services.vpc_attributes
  # The `endpoints` subnets, one per AZ of the shared services VPC.
  subnets         = [for az in local.shared_services.azs : local.shared_services.private_subnet_attributes_by_az["endpoints/${az}"]]
  security_groups = [security_group.endpoints_vpc_sg["vpc_endpoints"]]
  private_dns     = each.value.private_dns
}

# The security groups of local.security_groups, in the shared services VPC.
security_group "endpoints_vpc_sg" {
  for_each    = local.security_groups
  vpc         = local.shared_services.vpc_attributes
  description = each.value.description
  dynamic "ingress" {
    for_each = each.value.ingress
    content {
      description = ingress.value.description
      protocol    = ingress.value.protocol
      ports       = ingress.value.ports
      cidrs       = ingress.value.cidr_blocks
    }
  }

  dynamic "egress" {
    for_each = each.value.egress
    content {
      description = egress.value.description
      protocol    = egress.value.protocol
      ports       = egress.value.ports
      cidrs       = egress.value.cidr_blocks
    }
  }

  tags = {
    Name = "${each.key}-shared-services-security-group-${var.identifier}"
  }
}
