# A SaaS API published over AWS PrivateLink, in eu-central-1.
#
#   provider.hcl      the provider VPC: network load balancer in front of the
#                     API, published as endpoint service "api" with the
#                     private DNS name api.example.com
#   consumer.hcl      a consumer VPC with an interface endpoint to that service
#   expectations.hcl  the consumer reaches the API privately, and nothing else
#
# Provider and consumer are both in this configuration so the whole path can
# be checked; in production the consumer side usually lives in the customer's
# own configuration, pointing at the service by name:
#   service = "com.amazonaws.vpce.eu-central-1.vpce-svc-..."

region  = "eu-central-1"
account = "111122223333"

default_tags = {
  Project   = "saas-api"
  ManagedBy = "vpce"
}
