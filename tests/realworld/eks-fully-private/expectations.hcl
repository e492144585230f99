# What a node needs to join the cluster and pull images, privately, from both
# subnets; and "no routes to external world at all" (README).

expect "nodes_1a_reach_ecr_api" {
  from    = subnet.subnet_1a
  to      = "ecr.api"
  private = true
}

expect "nodes_1b_reach_ecr_dkr" {
  from    = subnet.subnet_1b
  to      = "ecr.dkr"
  private = true
}

expect "nodes_1a_reach_s3" {
  from    = subnet.subnet_1a
  to      = "s3"
  private = true
}

expect "nodes_1b_reach_ec2" {
  from    = subnet.subnet_1b
  to      = "ec2"
  private = true
}

expect "nodes_1a_reach_sts" {
  from    = subnet.subnet_1a
  to      = "sts"
  private = true
}

expect "nodes_1b_reach_logs" {
  from    = subnet.subnet_1b
  to      = "logs"
  private = true
}

expect "no_internet_1a" {
  from      = subnet.subnet_1a
  to        = "internet"
  reachable = false
}

expect "no_internet_1b" {
  from      = subnet.subnet_1b
  to        = "internet"
  reachable = false
}
