# The Datadog Agent as an ECS task defined in Terraform, with the usual
# mistakes of delegated authentication set through its environment.
resource "aws_iam_role" "datadog_agent" {
  name = "datadog-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_ecs_task_definition" "datadog_agent" {
  family        = "datadog-agent"
  task_role_arn = aws_iam_role.datadog_agent.arn

  container_definitions = jsonencode([
    {
      name      = "datadog-agent"
      image     = "public.ecr.aws/datadog/agent:7.70.0" # delegated auth needs 7.78.0 or later
      essential = true
      environment = [
        { name = "DD_SITE", value = "ddog-gov.com" }, # the Agent flow is not offered there
        { name = "DD_DELEGATED_AUTH_ORG_UUID", value = "not-a-uuid" },
        { name = "DD_DELEGATED_AUTH_PROVIDER", value = "gcp" },
        { name = "DD_DELEGATED_AUTH_ORG_UID", value = "11111111-2222-3333-4444-555555555555" },
      ]
      # No DD_API_KEY secret: nothing to fall back on.
    },
  ])
}

resource "aws_ecs_task_definition" "datadog_agent_heredoc" {
  family                = "datadog-agent-heredoc"
  container_definitions = <<-EOF
    [
      {
        "name": "datadog-agent",
        "image": "datadog/agent:7.78.0",
        "environment": [
          {"name": "DD_DELEGATED_AUTH_ORG_UUID", "value": "11111111-2222-3333-4444-555555555555"},
          {"name": "DD_DELEGATED_AUTH_AWS_REGION", "value": "us-est-1"}
        ],
        "secrets": [{"name": "DD_API_KEY", "valueFrom": "${aws_secretsmanager_secret.datadog_api_key.arn}"}]
      }
    ]
  EOF
}
