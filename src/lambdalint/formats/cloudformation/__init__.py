"""SAM and CloudFormation templates."""
