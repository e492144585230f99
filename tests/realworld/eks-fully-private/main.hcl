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

endpoint "ecr_api" {
  type            = "interface"
  service         = "ecr.api"
  vpc             = vpc.main
  subnets         = local.endpoint_subnets
  security_groups = [security_group.vpc_endpoint]
  private_dns     = true
  tags            = var.tags
}

endpoint "ecr_dkr" {
  type            = "interface"
  service         = "ecr.dkr"
  vpc             = vpc.main
  subnets         = local.endpoint_subnets
  security_groups = [security_group.vpc_endpoint]
  private_dns     = true
  tags            = var.tags
}

endpoint "ec2" {
  type            = "interface"
  service         = "ec2"
  vpc             = vpc.main
  subnets         = local.endpoint_subnets
  security_groups = [security_group.vpc_endpoint]
  private_dns     = true
  tags            = var.tags
}

endpoint "sts" {
  type            = "interface"
  service         = "sts"
  vpc             = vpc.main
  subnets         = local.endpoint_subnets
  security_groups = [security_group.vpc_endpoint]
  private_dns     = true
  tags            = var.tags
}

endpoint "logs" {
  type            = "interface"
  service         = "logs"
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
