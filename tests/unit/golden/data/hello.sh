#!/bin/sh
echo hello from a golden archive
