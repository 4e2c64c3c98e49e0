from tests.factories import LeadFactory, OpportunityFactory


def test_factories_build_consistent_records(db):
    lead = LeadFactory()
    opportunity = OpportunityFactory()
    assert lead.status == "new"
    assert opportunity.stage.pipeline_id == opportunity.pipeline_id
