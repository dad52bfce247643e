-- Reserved for the managed keys' migration, made on another branch at the
-- same time; the branch that adds it replaces this file. It changes
-- nothing.
SELECT 1;
