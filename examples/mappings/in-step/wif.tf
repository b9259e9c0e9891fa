# The mappings of the demo's emulated org, declared in Terraform:
# `dd-wif mappings diff examples/mappings/in-step` finds them in step (exit 0).

resource "datadog_aws_wif_identity_mapping" "terraform_runner" {
  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/terraform-runner/*"
  account_identifier = "terraform@example.com"
}

resource "datadog_aws_wif_intake_mapping" "terraform_runner" {
  arn_pattern = "arn:aws:sts::123456789012:assumed-role/terraform-runner/*"
}
