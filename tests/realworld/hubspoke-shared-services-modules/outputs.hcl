# The sample's outputs, one value each: an output is a string or a list (joined with
# `,`), so the sample's maps are lists in key order.

output "spoke_vpcs" {
  description = "Spoke VPCs created (spoke-vpc-1, spoke-vpc-2)."
  value       = values(module.spoke_vpcs)[*].vpc_attributes
}

output "shared_services_vpc" {
  description = "Shared services VPC created."
  value       = local.shared_services.vpc_attributes
}

output "transit_gateway" {
  description = "Transit gateway the VPCs attach to."
  value       = module.hubspoke.transit_gateway.id
}

output "vpc_endpoints" {
  description = "VPC endpoints created (ec2messages, s3, ssm, ssmmessages)."
  value       = values(endpoint.endpoint)
}
