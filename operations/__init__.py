"""Running the site: backups and restores (`backup`, `restore`) and keeping
the files of photos and documents in step with their rows (`media_cleanup`)."""
