# Endpoints for Systems Manager and S3, and an endpoint service for partner accounts,
# written with `for` expressions, splats and collection functions. Its twin,
# catalogue-expanded.hcl, writes every value out by hand: both build the same templates.
region = "eu-west-1"

variable "consumer_accounts" {
  type    = list(string)
  default = ["111111111111", "222222222222", "111111111111"]
}

locals {
  zones    = { a = 1, b = 2, c = 3 }
  services = toset(["ssmmessages", "ssm", "ec2messages", "ssm"])
  buckets  = ["artifacts", "logs"]
  private  = [subnet.app_a, subnet.app_b, subnet.app_c]
  by_zone  = { for s in local.private : s.az => s }
  tags     = { for k, v in { team = "platform", tier = "endpoints" } : k => upper(v) }
  dns      = { ssm = true }
}

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
  tags          = local.tags
}

route_table "private" { vpc = vpc.main }

subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az${local.zones.a}"
  cidr        = cidrsubnet(vpc.main.cidr, 8, local.zones.a)
  route_table = route_table.private
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az${local.zones.b}"
  cidr        = cidrsubnet(vpc.main.cidr, 8, local.zones.b)
  route_table = route_table.private
}

subnet "app_c" {
  vpc         = vpc.main
  az          = "euw1-az${local.zones.c}"
  cidr        = cidrsubnet(vpc.main.cidr, 8, local.zones.c)
  route_table = route_table.private
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol    = "tcp"
    ports       = 443
    cidrs       = local.private[*].cidr
    description = join(" ", ["HTTPS from", length(local.private), "subnets"])
  }
}

endpoint "ec2messages" {
  type            = "interface"
  service         = element(local.services, 0)
  vpc             = vpc.main
  subnets         = values(local.by_zone)
  security_groups = [security_group.endpoints]
  private_dns     = lookup(local.dns, "ec2messages", true)
}

endpoint "ssm" {
  type            = "interface"
  service         = element(local.services, 1)
  vpc             = vpc.main
  subnets         = [for s in local.private : s if contains(keys(local.by_zone), s.az)]
  security_groups = [security_group.endpoints]
  private_dns     = lookup(local.dns, "ssm")
}

endpoint "ssmmessages" {
  type            = "interface"
  service         = element(local.services, 2)
  vpc             = vpc.main
  subnets         = local.private
  security_groups = [security_group.endpoints]
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = flatten([for b in local.buckets : ["arn:aws:s3:::${b}", "arn:aws:s3:::${b}/*"]])
    }]
  }
}

load_balancer "partners" {
  type    = "network"
  subnets = [for i in range(length(local.private)) : local.private[i]]
}

endpoint_service "partners" {
  load_balancers     = [load_balancer.partners]
  allowed_principals = [for a in distinct(var.consumer_accounts) : "arn:aws:iam::${a}:root"]
  tags               = zipmap(["team", "service"], ["platform", "partners"])
}

expect "app_reaches_ssm" {
  from    = subnet.app_a
  to      = "ssm"
  private = true
}
