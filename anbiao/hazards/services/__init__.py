"""Writes of the hazard module. Every service takes the actor and the actor's scope, checks the permission on
the object, validates, writes and records an audit event in one transaction."""
