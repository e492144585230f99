# An internal API in us-east-1, consumed over AWS PrivateLink from eu-west-1.
#
# Since November 2024 an interface endpoint can connect to an endpoint service in
# another Region of the same partition: the provider lists the consumer's Region
# in `supported_regions`, and the consumer's endpoint names the provider's Region
# in `service_region`. Traffic crosses the AWS backbone, never the internet.
#
#   provider.hcl      us-east-1: network load balancer and endpoint service "orders"
#   consumer.hcl      eu-west-1: a private VPC with an interface endpoint to it
#   expectations.hcl  the consumer reaches the service privately
#
# `vpce build` writes one stack per Region (CloudFormation stacks and exports are
# regional). The consumer's stack takes the service id as a parameter, filled from
# the provider stack's output as `manifest.json` says: deploy in manifest order.

region  = "us-east-1"
account = "111122223333"

default_tags = {
  Project   = "orders-api"
  ManagedBy = "vpce"
}
