# Two VPCs get the same set of endpoints from one module: the module declares the
# security group, the interface endpoints and an S3 gateway endpoint once; each
# `module` block gives it a VPC, its subnets and route tables, and the services it
# needs.
region = "eu-west-1"

default_tags = {
  team = "platform"
}

vpc "shared" {
  cidr          = "10.10.0.0/16"
  dns_hostnames = true
}

route_table "shared" {
  vpc = vpc.shared
}

subnet "shared_a" {
  vpc         = vpc.shared
  az          = "euw1-az1"
  cidr        = "10.10.1.0/24"
  route_table = route_table.shared
}

subnet "shared_b" {
  vpc         = vpc.shared
  az          = "euw1-az2"
  cidr        = "10.10.2.0/24"
  route_table = route_table.shared
}

vpc "app" {
  cidr          = "10.20.0.0/16"
  dns_hostnames = true
}

route_table "app" {
  vpc = vpc.app
}

subnet "app_a" {
  vpc         = vpc.app
  az          = "euw1-az1"
  cidr        = "10.20.1.0/24"
  route_table = route_table.app
}

subnet "app_b" {
  vpc         = vpc.app
  az          = "euw1-az2"
  cidr        = "10.20.2.0/24"
  route_table = route_table.app
}

# Objects inside are named `shared_endpoints_OBJ` (logical ids
# `SecurityGroupSharedEndpointsEndpoints`, `EndpointSharedEndpointsAwsSsm`, ...) and
# addressed `module.shared_endpoints.KIND.OBJ` in diagnostics and plans.
module "shared_endpoints" {
  source       = "./modules/endpoints"
  vpc          = vpc.shared
  subnets      = [subnet.shared_a, subnet.shared_b]
  route_tables = [route_table.shared]
  services     = ["ssm", "ssmmessages", "ec2messages", "kms"]
}

module "app_endpoints" {
  source       = "./modules/endpoints"
  vpc          = vpc.app
  subnets      = [subnet.app_a, subnet.app_b]
  route_tables = [route_table.app]
  services     = ["secretsmanager"]
}

expect "shared_reaches_ssm" {
  from    = subnet.shared_a
  to      = "ssm"
  private = true
}

expect "app_reaches_s3" {
  from    = subnet.app_a
  to      = "s3"
  private = true
}

expect "app_reaches_secrets" {
  from    = subnet.app_b
  to      = "secretsmanager"
  private = true
}

# A module's outputs are read as `module.NAME.OUTPUT`; this one is the id of the
# security group the module created, for other stacks to allow.
output "shared_endpoints_security_group" {
  value       = module.shared_endpoints.security_group_id
  description = "Security group of the shared VPC's interface endpoints"
}
