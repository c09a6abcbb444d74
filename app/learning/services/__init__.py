"""Every write of learning, one module per concept: enrolment and progress, attempts,
certificates, content loading."""
