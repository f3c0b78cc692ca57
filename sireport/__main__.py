from sireport.cli import main

if __name__ == "__main__":  # also imported by multiprocessing workers: run only as a program
    main()
