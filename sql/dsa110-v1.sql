-- Flavour `dsa110-v1`: the first DSA-110 deployment, `absurd.t_tasks` (the table the operations
-- guide and the old monitor script query). Re-created from ../shared/spec/absurd-flavours.md
-- section 4. Deliberately has only the pending partial index, like production.
create schema if not exists absurd;

create table if not exists absurd.queues (
  queue_name text primary key,
  created_at timestamptz not null default now(),
  description text
);

create table if not exists absurd.t_tasks (
  task_id uuid primary key default gen_random_uuid(),
  queue_name text not null references absurd.queues (queue_name),
  task_name text not null,
  params jsonb not null default '{}',
  priority integer not null default 0,
  status text not null default 'pending',  -- no check constraint in production either
  created_at timestamptz not null default now(),
  claimed_at timestamptz,
  completed_at timestamptz,
  worker_id text,
  result jsonb,
  error text,
  retry_count integer not null default 0,
  max_retries integer not null default 3,
  timeout_sec integer not null default 3600,
  last_heartbeat timestamptz
);
create index if not exists idx_t_tasks_pending
  on absurd.t_tasks (queue_name, priority desc, created_at) where status = 'pending';

create or replace function absurd.create_queue(p_queue_name text, p_description text default null)
returns void language sql as $$
  insert into absurd.queues (queue_name, description) values (p_queue_name, p_description)
  on conflict (queue_name) do nothing
$$;

create or replace function absurd.spawn_task(
  p_queue_name text, p_task_name text, p_params jsonb default '{}', p_priority integer default 0,
  p_max_retries integer default 3, p_timeout_sec integer default 3600
) returns uuid language sql as $$
  insert into absurd.t_tasks (queue_name, task_name, params, priority, max_retries, timeout_sec)
  values (p_queue_name, p_task_name, coalesce(p_params, '{}'), coalesce(p_priority, 0),
          coalesce(p_max_retries, 3), coalesce(p_timeout_sec, 3600))
  returning task_id
$$;

-- Workers call this; absurd-top never does.
create or replace function absurd.claim_task(p_queue_name text, p_worker_id text)
returns setof absurd.t_tasks language sql as $$
  with picked as (
    select task_id from absurd.t_tasks
     where queue_name = p_queue_name and status = 'pending'
     order by priority desc, created_at
     for update skip locked limit 1)
  update absurd.t_tasks t
     set status = 'claimed', worker_id = p_worker_id, claimed_at = now(), last_heartbeat = now()
    from picked where t.task_id = picked.task_id
  returning t.*
$$;

create or replace function absurd.complete_task(p_task_id uuid, p_result jsonb default null)
returns boolean language sql as $$
  with done as (
    update absurd.t_tasks set status = 'completed', result = p_result, completed_at = now()
     where task_id = p_task_id and status = 'claimed'
    returning 1)
  select exists (select 1 from done)
$$;

-- Requeues automatically while retry_count < max_retries, then fails for good.
create or replace function absurd.fail_task(p_task_id uuid, p_error text)
returns boolean language sql as $$
  with done as (
    update absurd.t_tasks
       set status = case when retry_count < max_retries then 'pending' else 'failed' end,
           retry_count = case when retry_count < max_retries then retry_count + 1 else retry_count end,
           error = p_error,
           worker_id = case when retry_count < max_retries then null else worker_id end,
           claimed_at = case when retry_count < max_retries then null else claimed_at end,
           completed_at = case when retry_count < max_retries then null else now() end
     where task_id = p_task_id and status = 'claimed'
    returning 1)
  select exists (select 1 from done)
$$;

create or replace function absurd.heartbeat_task(p_task_id uuid)
returns boolean language sql as $$
  with beat as (
    update absurd.t_tasks set last_heartbeat = now()
     where task_id = p_task_id and status = 'claimed'
    returning 1)
  select exists (select 1 from beat)
$$;
