# Inspection must not cut the application subnets off: both still reach the
# internet, through the GWLB endpoint of their AZ and then the internet
# gateway of the workload VPC. (Not `private`: the path ends at an internet
# gateway on purpose.)

expect "app_a_reaches_internet" {
  from = subnet.app_a
  to   = "internet"
}

expect "app_b_reaches_internet" {
  from = subnet.app_b
  to   = "internet"
}
