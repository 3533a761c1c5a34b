// One collection at a time: each collection starts its own portal and Chromium, and on 2 cores two of them racing made
// pages miss their waits (seen in the full tier); the tier's run time matters less than its honesty.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
