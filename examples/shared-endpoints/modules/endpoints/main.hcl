# Interface endpoints for a VPC: one per service, each with an ENI in every
# subnet given, private DNS on, behind a security group that admits HTTPS
# from the VPC.

variable "vpc" {
  description = "The VPC the endpoints serve"
}

variable "subnets" {
  type        = list(any)
  description = "One subnet per AZ for the endpoints' network interfaces"
}

variable "services" {
  type        = list(string)
  description = "Short names of the AWS services, e.g. \"ssm\""
}

security_group "endpoints" {
  vpc         = var.vpc
  description = "HTTPS from the VPC to its interface endpoints"
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [var.vpc.cidr]
  }
}

endpoint "aws" {
  for_each        = var.services
  type            = "interface"
  service         = each.key
  vpc             = var.vpc
  subnets         = var.subnets
  security_groups = [security_group.endpoints]
  private_dns     = true
}

output "security_group_id" {
  value = security_group.endpoints.id
}

output "endpoints" {
  value = endpoint.aws
}
