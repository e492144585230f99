# terraform-aws-modules/vpc, examples/complete: a three-AZ VPC with public,
# private, database and intra subnets, one NAT gateway, and the vpc-endpoints
# submodule's endpoints (S3 and ECS/ECR/RDS interface endpoints, a DynamoDB
# gateway endpoint with a policy). See SOURCE.md.

region = "eu-west-1"

default_tags = {
  Example    = "ex-complete"
  GithubRepo = "terraform-aws-vpc"
  GithubOrg  = "terraform-aws-modules"
}

locals {
  # local.azs (the first three AZs), each with its index k: the example computes
  # every tier's CIDRs as `[for k, v in local.azs : cidrsubnet(local.vpc_cidr, 8, k + OFFSET)]`
  # and the module makes one subnet per AZ with `count`.
  azs = {
    "euw1-az1" = 0
    "euw1-az2" = 1
    "euw1-az3" = 2
  }
}

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_support   = true
  dns_hostnames = true
}

internet_gateway "main" {
  vpc = vpc.main
}

route_table "public" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }
}

# single_nat_gateway = true: one NAT gateway in the first public subnet, one
# private route table. Database subnets share it (no database route table).
nat_gateway "main" {
  subnet = subnet.public["euw1-az1"]
}

route_table "private" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.main
  }
}

# Intra subnets have no route out of the VPC.
route_table "intra" {
  vpc = vpc.main
}

# Private subnets (`private_subnets`), behind the NAT gateway.
subnet "private" {
  for_each    = local.azs
  vpc         = vpc.main
  az          = each.key
  cidr        = cidrsubnet(vpc.main.cidr, 8, each.value)
  route_table = route_table.private
}

# Public subnets, routed to the internet gateway.
subnet "public" {
  for_each    = local.azs
  vpc         = vpc.main
  az          = each.key
  cidr        = cidrsubnet(vpc.main.cidr, 8, each.value + 4)
  route_table = route_table.public
}

# Database subnets: no database route table (`create_database_subnet_route_table`
# is false), so the module associates them with the private route table.
subnet "database" {
  for_each    = local.azs
  vpc         = vpc.main
  az          = each.key
  cidr        = cidrsubnet(vpc.main.cidr, 8, each.value + 8)
  route_table = route_table.private
}

# Intra subnets: no route out of the VPC.
subnet "intra" {
  for_each    = local.azs
  vpc         = vpc.main
  az          = each.key
  cidr        = cidrsubnet(vpc.main.cidr, 8, each.value + 20)
  route_table = route_table.intra
}
