/* placeholder during development; replaced by the sdk-js build */
