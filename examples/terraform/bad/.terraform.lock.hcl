# This file is maintained automatically by "terraform init".
provider "registry.terraform.io/datadog/datadog" {
  version     = "3.60.0"
  constraints = "~> 3.7"
}
