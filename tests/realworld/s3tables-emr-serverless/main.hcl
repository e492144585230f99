# S3 Tables for EMR Serverless: a CDK VPC (two AZs, public /24 and private /20
# subnets, one NAT gateway), an S3 gateway endpoint on every route table and an
# interface endpoint for the S3 Tables API (`s3tables`) in the private subnets.
# Translated from OleanderHQ/s3tables-emr-serverless-cdk with its example
# configuration (see SOURCE.md).

region  = "us-east-2"
account = "123456789012"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

internet_gateway "main" {
  vpc = vpc.main
}

# natGateways = 1: one NAT gateway, in the first public subnet.
nat_gateway "main" {
  subnet = subnet.public_1
}

# CDK gives every subnet a route table of its own.
route_table "public_1" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }
}

subnet "public_1" {
  vpc         = vpc.main
  az          = "use2-az1"
  cidr        = "10.0.0.0/24"
  route_table = route_table.public_1
}

route_table "private_1" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.main
  }
}

subnet "private_1" {
  vpc         = vpc.main
  az          = "use2-az1"
  cidr        = "10.0.16.0/20"
  route_table = route_table.private_1
}

# CDK gives every subnet a route table of its own.
route_table "public_2" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }
}

subnet "public_2" {
  vpc         = vpc.main
  az          = "use2-az2"
  cidr        = "10.0.1.0/24"
  route_table = route_table.public_2
}

route_table "private_2" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.main
  }
}

subnet "private_2" {
  vpc         = vpc.main
  az          = "use2-az2"
  cidr        = "10.0.32.0/20"
  route_table = route_table.private_2
}

# addGatewayEndpoint('S3GatewayEndpoint'): private and public subnets.
endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private_1, route_table.private_2, route_table.public_1, route_table.public_2]
}

security_group "s3tables_endpoint" {
  vpc = vpc.main
  ingress {
    description = "Allow HTTPS from VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.main.cidr]
  }
}

endpoint "s3tables" {
  type            = "interface"
  service         = "s3tables"
  vpc             = vpc.main
  subnets         = [subnet.private_1, subnet.private_2]
  security_groups = [security_group.s3tables_endpoint]
  private_dns     = true
}

# The EMR Serverless application runs in the private subnets (usePrivateSubnets).
security_group "emr_serverless" {
  vpc = vpc.main
}

# The design's intent: Spark jobs in the private subnets reach the S3 Tables API
# and S3 privately, and still reach the internet through the NAT gateway.
expect "private_1_reaches_s3tables_privately" {
  from    = subnet.private_1
  to      = "s3tables"
  private = true
}

expect "private_2_reaches_s3tables_privately" {
  from    = subnet.private_2
  to      = "s3tables"
  private = true
}

expect "private_1_reaches_s3_privately" {
  from    = subnet.private_1
  to      = "s3"
  private = true
}

expect "private_2_reaches_internet" {
  from = subnet.private_2
  to   = "internet"
}
