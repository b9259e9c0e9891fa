# Login tests (test/e2e/suite/login.test.ts): the org is the emulator's.
terraform {
  required_providers {
    datadog = {
      source  = "DataDog/datadog"
      version = ">= 3.70.0"
    }
  }
}

provider "datadog" {
  cloud_provider_type = "aws"
  org_uuid            = "0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d"
}
