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
  subnet = subnet.public_1
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

subnet "private_1" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/24"
  route_table = route_table.private
}

subnet "private_2" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

subnet "private_3" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
}

subnet "public_1" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.4.0/24"
  route_table = route_table.public
}

subnet "public_2" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.5.0/24"
  route_table = route_table.public
}

subnet "public_3" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.0.6.0/24"
  route_table = route_table.public
}

subnet "database_1" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.8.0/24"
  route_table = route_table.private
}

subnet "database_2" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.9.0/24"
  route_table = route_table.private
}

subnet "database_3" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.0.10.0/24"
  route_table = route_table.private
}

subnet "intra_1" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.20.0/24"
  route_table = route_table.intra
}

subnet "intra_2" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.21.0/24"
  route_table = route_table.intra
}

subnet "intra_3" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.0.22.0/24"
  route_table = route_table.intra
}
