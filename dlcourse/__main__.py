from dlcourse.cli import main

# The guard matters: Dask's LocalCluster starts its workers with multiprocessing's "spawn",
# which imports this module again in every worker.
if __name__ == "__main__":
    raise SystemExit(main())
