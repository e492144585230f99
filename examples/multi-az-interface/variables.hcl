# Inputs and derived values.
#
# Override the environment with `--var env=staging`; every Name tag and the
# artifacts bucket allowed through the S3 endpoint policy follow it.

variable "env" {
  type        = string
  default     = "prod"
  description = "Environment name, used as a prefix in Name tags and bucket names"
}

locals {
  # Address plan, in one place. App subnets take a /20 per AZ from the bottom
  # of the range; endpoint subnets take a /24 per AZ from 10.20.128.0/17.
  vpc_cidr = "10.20.0.0/16"

  # Who to page when something in this stack breaks.
  owner = "platform-networking"

  # The one bucket the workloads may use through the S3 gateway endpoint.
  artifacts_bucket = "${var.env}-platform-artifacts"
}
