"""`agentdesk bench ...`: figures a user can reproduce on their own machine."""
