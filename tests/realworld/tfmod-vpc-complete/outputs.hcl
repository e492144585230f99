# examples/complete/outputs.tf: the outputs about what this translation creates
# (the others describe objects left out, or attributes vpce does not have: see SOURCE.md).

output "vpc_id" {
  description = "The ID of the VPC"
  value       = vpc.main.id
}

output "vpc_cidr_block" {
  description = "The CIDR block of the VPC"
  value       = vpc.main.cidr
}

output "private_subnets" {
  description = "List of IDs of private subnets"
  value       = local.private_subnets
}

output "public_subnets" {
  description = "List of IDs of public subnets"
  value       = [subnet.public["euw1-az1"], subnet.public["euw1-az2"], subnet.public["euw1-az3"]]
}

output "database_subnets" {
  description = "List of IDs of database subnets"
  value       = [subnet.database["euw1-az1"], subnet.database["euw1-az2"], subnet.database["euw1-az3"]]
}

output "intra_subnets" {
  description = "List of IDs of intra subnets"
  value       = [subnet.intra["euw1-az1"], subnet.intra["euw1-az2"], subnet.intra["euw1-az3"]]
}

output "public_route_table_ids" {
  description = "List of IDs of public route tables"
  value       = [route_table.public]
}

output "private_route_table_ids" {
  description = "List of IDs of private route tables"
  value       = [route_table.private]
}

output "intra_route_table_ids" {
  description = "List of IDs of intra route tables"
  value       = [route_table.intra]
}

output "natgw_ids" {
  description = "List of NAT Gateway IDs"
  value       = [nat_gateway.main]
}

output "igw_id" {
  description = "The ID of the Internet Gateway"
  value       = internet_gateway.main.id
}

output "vpc_endpoints_security_group_id" {
  description = "ID of the security group"
  value       = security_group.vpc_endpoints.id
}
