# example/variables.tf, with example/variables.tfvars as defaults.

variable "cluster_name" {
  type    = string
  default = "mateusmullerme"
}

variable "tags" {
  type = map(string)
  default = {
    "Department"  = "SRE"
    "Cost Center" = "XYZ"
    "Environment" = "Dev"
  }
}

variable "cidr_block" {
  type    = string
  default = "172.43.0.0/16"
}
