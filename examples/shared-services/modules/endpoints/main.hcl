# The endpoints a VPC needs: interface endpoints, one per service, each with an
# ENI in every subnet given, private DNS on, behind a security group that admits
# HTTPS from the VPC; and an S3 gateway endpoint on the VPC's route tables whose
# policy allows only requests from this VPC.

variable "vpc" {
  description = "The VPC the endpoints serve"
}

variable "subnets" {
  type        = list(any)
  description = "One subnet per AZ for the endpoints' network interfaces"
}

variable "route_tables" {
  type        = list(any)
  description = "The route tables that get the S3 gateway endpoint's route"
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

# The VPC's id is known only after deployment: the template gets a `Ref` to the
# VPC, the plan its simulated id.
endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = var.vpc
  route_tables = var.route_tables
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyFromThisVpc"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
      Resource  = "*"
      Condition = {
        StringEquals = {
          "aws:SourceVpc" = var.vpc.id
        }
      }
    }]
  }
}

output "security_group_id" {
  value = security_group.endpoints.id
}

output "endpoints" {
  value = endpoint.aws
}
