# Out of step with the demo's emulated org: the identity mapping acts as
# another account here, and the org's intake mapping is not declared.

resource "datadog_aws_wif_identity_mapping" "terraform_runner" {
  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/terraform-runner/*"
  account_identifier = "deployer@example.com"
}
