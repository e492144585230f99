# module "vpc_endpoints" (modules/vpc-endpoints)

security_group "vpc_endpoints" {
  vpc = vpc.main
  ingress {
    description = "HTTPS from VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.main.cidr]
  }
}

security_group "rds" {
  vpc = vpc.main
  ingress {
    description = "TLS from VPC"
    protocol    = "tcp"
    ports       = 5432
    cidrs       = [vpc.main.cidr]
  }
}

locals {
  private_subnets = [subnet.private_1, subnet.private_2, subnet.private_3]

  # data.aws_iam_policy_document.generic_endpoint_policy: deny everything unless
  # the request comes from this VPC. The VPC's id is known only after
  # deployment; the placeholder stands for it.
  generic_endpoint_policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
      Condition = {
        StringNotEquals = {
          "aws:SourceVpc" = "vpc-0123456789abcdef0"
        }
      }
    }]
  }
}

# The module's S3 entry sets no subnet_ids: an interface endpoint without
# subnets (the module's default is an empty list).
endpoint "s3" {
  type            = "interface"
  service         = "s3"
  vpc             = vpc.main
  subnets         = []
  security_groups = [security_group.vpc_endpoints]
  private_dns     = true
  tags = {
    Name = "s3-vpc-endpoint"
  }
}

endpoint "dynamodb" {
  type    = "gateway"
  service = "dynamodb"
  vpc     = vpc.main
  route_tables = [route_table.intra, route_table.private, route_table.public]
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "dynamodb:*"
      Resource  = "*"
      Condition = {
        StringNotEquals = {
          "aws:sourceVpc" = "vpc-0123456789abcdef0"
        }
      }
    }]
  }
  tags = {
    Name = "dynamodb-vpc-endpoint"
  }
}

endpoint "ecs" {
  type            = "interface"
  service         = "ecs"
  vpc             = vpc.main
  subnets         = local.private_subnets
  security_groups = [security_group.vpc_endpoints]
  private_dns     = true
}

endpoint "ecr_api" {
  type            = "interface"
  service         = "ecr.api"
  vpc             = vpc.main
  subnets         = local.private_subnets
  security_groups = [security_group.vpc_endpoints]
  private_dns     = true
  policy          = local.generic_endpoint_policy
}

endpoint "ecr_dkr" {
  type            = "interface"
  service         = "ecr.dkr"
  vpc             = vpc.main
  subnets         = local.private_subnets
  security_groups = [security_group.vpc_endpoints]
  private_dns     = true
  policy          = local.generic_endpoint_policy
}

endpoint "rds" {
  type            = "interface"
  service         = "rds"
  vpc             = vpc.main
  subnets         = local.private_subnets
  security_groups = [security_group.rds]
  private_dns     = true
}

# The module's intent: workloads in the private and intra subnets reach the
# AWS services privately; the private subnets also reach the internet. (The ECR
# and DynamoDB endpoints' policies only deny, so on AWS they admit nothing:
# reachability.txt states it, with the verdict `denied`.)
expect "private_reaches_ecs_privately" {
  from    = subnet.private_1
  to      = "ecs"
  private = true
}

expect "intra_reaches_ecs_privately" {
  from    = subnet.intra_2
  to      = "ecs"
  private = true
}

expect "private_reaches_internet" {
  from = subnet.private_1
  to   = "internet"
}

expect "intra_has_no_internet" {
  from      = subnet.intra_1
  to        = "internet"
  reachable = false
}
