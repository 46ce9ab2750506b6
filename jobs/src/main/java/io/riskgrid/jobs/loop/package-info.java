/**
 * Stage 2 (DESIGN §2), the loop every job margins accounts with: the accounts of a partition in batches
 * through the engine on the kernel each executor chose, each result handed to the job's sink.
 */
package io.riskgrid.jobs.loop;
