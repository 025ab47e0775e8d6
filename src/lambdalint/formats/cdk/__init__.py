"""AWS CDK cloud assemblies (cdk.out): synthesized CloudFormation read by the CloudFormation readers."""
