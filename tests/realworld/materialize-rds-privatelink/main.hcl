# A SaaS consumer's database published over PrivateLink: an internal network
# load balancer in the existing RDS subnets, fronting the database, published as
# an endpoint service whose connections the owner accepts by hand; Materialize
# (the SaaS) connects from its own VPC with an interface endpoint.
# Translated from MaterializeInc/terraform-aws-rds-privatelink (see SOURCE.md).

region = "us-east-1"

# data.aws_vpc.mz_rds_vpc: the VPC of the existing RDS instance.
vpc "rds" {
  id   = "vpc-0123456789abcdef0"
  cidr = "10.0.0.0/16"
}

# data.aws_subnet.mz_rds_subnet: the subnets of the RDS subnet group, read with
# `for_each` over their ids.
subnet "mz_rds" {
  for_each = {
    "subnet-0123456789abcdef1" = { az = "use1-az1", cidr = "10.0.1.0/24" }
    "subnet-0123456789abcdef2" = { az = "use1-az2", cidr = "10.0.2.0/24" }
  }
  id   = each.key
  vpc  = vpc.rds
  az   = each.value.az
  cidr = each.value.cidr
}

load_balancer "mz_rds" {
  type    = "network"
  subnets = [subnet.mz_rds["subnet-0123456789abcdef1"], subnet.mz_rds["subnet-0123456789abcdef2"]]
  tags = {
    Name = "mz-rds-lb"
  }
  # aws_lb_listener.mz_rds_listener: TCP on the database's port (PostgreSQL's 5432
  # here) to the RDS instance's address (made up), an IP target.
  listener {
    port     = 5432
    protocol = "TCP"
    targets  = ["10.0.1.50"]
  }
}

# The README's documented values: manual acceptance, and the region where the
# Materialize environment runs. The allowed principal is the one Materialize
# reports (`SELECT principal FROM mz_aws_privatelink_connections`), added by hand.
endpoint_service "mz_rds" {
  load_balancers      = [load_balancer.mz_rds]
  acceptance_required = true
  supported_regions   = ["us-east-1"]
  allowed_principals  = ["arn:aws:iam::664411391173:role/mz_20273b7c-2bbe-42b8-8c36-8cc179e9bbc3_u1"]
  tags = {
    Name = "mz-rds-lb-endpoint-service"
  }
}

# outputs.tf (the ones about what vpce describes).
output "mz_rds_endpoint_service_name" {
  description = "VPC endpoint service name"
  value       = endpoint_service.mz_rds.service_name
}

output "mz_rds_azs" {
  description = "The list of subnet IDs for the RDS instances"
  value       = [subnet.mz_rds["subnet-0123456789abcdef1"].az, subnet.mz_rds["subnet-0123456789abcdef2"].az]
}
