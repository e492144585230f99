# module "vpc_endpoints" (modules/vpc-endpoints): one `aws_vpc_endpoint.this` with
# `for_each` over the example's `endpoints` map. vpce has no `null` for an omitted
# attribute (nor `try`/`lookup`), so the entries are grouped by the attributes they
# set: `endpoint.this` the interface endpoints without a policy, `endpoint.restricted`
# the two with the generic policy, and the DynamoDB gateway endpoint. See SOURCE.md.

locals {
  private_subnets = [subnet.private["euw1-az1"], subnet.private["euw1-az2"], subnet.private["euw1-az3"]]

  # The module's `tags`: the example's tags (here `default_tags`) and these.
  endpoint_tags = {
    Project  = "Secret"
    Endpoint = "true"
  }

  # data.aws_iam_policy_document.generic_endpoint_policy: deny everything unless
  # the request comes from this VPC.
  generic_endpoint_policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
      Condition = {
        StringNotEquals = {
          "aws:SourceVpc" = vpc.main.id
        }
      }
    }]
  }
}

# The module's security group, with the example's `security_group_rules`.
security_group "vpc_endpoints" {
  vpc = vpc.main
  ingress {
    description = "HTTPS from VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.main.cidr]
  }
  tags = local.endpoint_tags
}

# aws_security_group.rds in the example.
security_group "rds" {
  vpc = vpc.main
  ingress {
    description = "TLS from VPC"
    protocol    = "tcp"
    ports       = 5432
    cidrs       = [vpc.main.cidr]
  }
}

# Every interface endpoint has the module's security group and private DNS, the
# subnets its entry names (the module's default `subnet_ids` is empty, and the S3
# entry names none) and the entry's extra security groups; its `Name` tag is its key
# unless the entry's tags say otherwise.
endpoint "this" {
  for_each = {
    s3 = {
      service         = "s3"
      subnets         = []
      security_groups = []
      tags            = { Name = "s3-vpc-endpoint" }
    }
    ecs = {
      service         = "ecs"
      subnets         = local.private_subnets
      security_groups = []
      tags            = {}
    }
    rds = {
      service         = "rds"
      subnets         = local.private_subnets
      security_groups = [security_group.rds]
      tags            = {}
    }
  }
  type            = "interface"
  service         = each.value.service
  vpc             = vpc.main
  subnets         = each.value.subnets
  security_groups = concat([security_group.vpc_endpoints], each.value.security_groups)
  private_dns     = true
  tags            = merge(local.endpoint_tags, { Name = each.key }, each.value.tags)
}

endpoint "restricted" {
  for_each = {
    ecr_api = "ecr.api"
    ecr_dkr = "ecr.dkr"
  }
  type            = "interface"
  service         = each.value
  vpc             = vpc.main
  subnets         = local.private_subnets
  security_groups = [security_group.vpc_endpoints]
  private_dns     = true
  policy          = local.generic_endpoint_policy
  tags            = merge(local.endpoint_tags, { Name = each.key })
}

endpoint "dynamodb" {
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = [route_table.intra, route_table.private, route_table.public]
  # data.aws_iam_policy_document.dynamodb_endpoint_policy
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "dynamodb:*"
      Resource  = "*"
      Condition = {
        StringNotEquals = {
          "aws:sourceVpc" = vpc.main.id
        }
      }
    }]
  }
  tags = merge(local.endpoint_tags, { Name = "dynamodb-vpc-endpoint" })
}

# The module's intent: workloads in the private and intra subnets reach the
# AWS services privately; the private subnets also reach the internet. (The ECR
# and DynamoDB endpoints' policies only deny, so on AWS they admit nothing:
# reachability.txt states it, with the verdict `denied`.)
expect "private_reaches_ecs_privately" {
  from    = subnet.private["euw1-az1"]
  to      = "ecs"
  private = true
}

expect "intra_reaches_ecs_privately" {
  from    = subnet.intra["euw1-az2"]
  to      = "ecs"
  private = true
}

expect "private_reaches_internet" {
  from = subnet.private["euw1-az1"]
  to   = "internet"
}

expect "intra_has_no_internet" {
  from      = subnet.intra["euw1-az1"]
  to        = "internet"
  reachable = false
}
