#!/usr/bin/env bash
# Memscope FZ training as a Slurm job array: one array task per shard, no coordination between tasks.
# Each task runs shard $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT into its own folder; a killed or preempted
# task is simply resubmitted (the same command resumes, skipping finished models). Afterwards:
#   memscope fz merge "$RUN"/shard-* --out "$RUN"/merged && memscope fz scores "$RUN"/merged
#
# Submit (8 shards, 2 CPUs each):   sbatch --array=0-7 deploy/slurm-array.sh
#SBATCH --job-name=memscope-fz
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=memscope-fz-%A_%a.log
set -euo pipefail

MEMSCOPE=${MEMSCOPE:-memscope}          # path to the published memscope binary (dotnet publish -c Release src/Memscope.Cli)
RUN=${RUN:-$PWD/runs/fz-fashion}       # shared file system
TRAIN=${TRAIN:-/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz}
TEST=${TEST:-/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz}
MODELS=${MODELS:-2000}
SHARDS=${SLURM_ARRAY_TASK_COUNT:?run as an array job: sbatch --array=0-7 deploy/slurm-array.sh}
SHARD=${SLURM_ARRAY_TASK_ID:?run as an array job}

# $MEMSCOPE may be a command with arguments (e.g. "dotnet /opt/memscope/memscope.dll"), hence unquoted
exec $MEMSCOPE fz train --train "$TRAIN" --test "$TEST" --learner mlp --models "$MODELS" \
  --subset-fraction 0.7 --seed 1 --threads "${SLURM_CPUS_PER_TASK:-2}" \
  --shard "$SHARD/$SHARDS" --out "$RUN/shard-$SHARD"
