# A fully private EKS cluster: no internet or NAT gateway, no route out of the
# VPC; the nodes reach ECR, EC2, STS and CloudWatch Logs through interface
# endpoints and S3 (ECR's image layers) through a gateway endpoint.
# Translated from mateusmuller/terraform-eks-fully-private, modules/network
# (see SOURCE.md).

region = "eu-central-1"

vpc "main" {
  cidr          = var.cidr_block
  dns_support   = true
  dns_hostnames = true
  tags          = var.tags
}

route_table "main" {
  vpc  = vpc.main
  tags = var.tags
}

subnet "subnet_1a" {
  vpc         = vpc.main
  az          = "euc1-az2"
  cidr        = cidrsubnet(var.cidr_block, 8, 1)
  route_table = route_table.main
  tags = {
    format("kubernetes.io/cluster/%s", var.cluster_name) = "shared"
    "kubernetes.io/role/internal-elb"                    = "1"
  }
}

subnet "subnet_1b" {
  vpc         = vpc.main
  az          = "euc1-az3"
  cidr        = cidrsubnet(var.cidr_block, 8, 2)
  route_table = route_table.main
  tags = {
    format("kubernetes.io/cluster/%s", var.cluster_name) = "shared"
    "kubernetes.io/role/internal-elb"                    = "1"
  }
}

security_group "vpc_endpoint" {
  vpc = vpc.main
  ingress {
    description = "HTTPS from VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [var.cidr_block]
  }
  tags = var.tags
}

locals {
  endpoint_subnets = [subnet.subnet_1a, subnet.subnet_1b]
}

# The module writes the five interface endpoints out one by one
# (`aws_vpc_endpoint.vpce_ecr_api`, ...), identical but for the service: one
# block with `for_each`, whose instances are named the same (`vpce_ecr_api`, ...).
endpoint "vpce" {
  for_each        = ["ecr.api", "ecr.dkr", "ec2", "sts", "logs"]
  type            = "interface"
  service         = each.key
  vpc             = vpc.main
  subnets         = local.endpoint_subnets
  security_groups = [security_group.vpc_endpoint]
  private_dns     = true
  tags            = var.tags
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.main]
  tags         = var.tags
}

# modules/network/output.tf: the subnets the cluster and node group modules use.
output "subnet_1a" {
  value = subnet.subnet_1a.id
}

output "subnet_1b" {
  value = subnet.subnet_1b.id
}
