# Production-like private VPC in eu-west-1, reachable to AWS APIs only through
# VPC endpoints: no internet gateway, no NAT gateway.
#
# The configuration is this whole directory: vpce reads every *.hcl file in
# name order and treats them as one configuration, like Terraform.
#
#   main.hcl          region and tags applied to everything
#   variables.hcl     `variable "env"` and `locals`
#   network.hcl       VPC, subnets, route tables, endpoint security group
#   endpoints.hcl     S3 gateway endpoint and the interface endpoints
#   expectations.hcl  what must (and must not) be reachable

region = "eu-west-1"

# Added to every resource vpce creates, on top of each object's own tags.
default_tags = {
  Project     = "shared-platform"
  Environment = var.env
  Owner       = local.owner
  ManagedBy   = "vpce"
}
