"""The sizes pages show photos at. Every uploaded photo gets them made by the task worker
(images.tasks), so no visitor waits for one; the pages' selectors prefetch them."""

# A project's photos: thumbnails in galleries, each linking to its large version; covers are
# shown large on the project page and as cards in listings.
THUMBNAIL_RENDITION = "fill-320x240"
LARGE_RENDITION = "width-1200"
CARD_RENDITION = "fill-480x320"
COVER_RENDITION = LARGE_RENDITION
PHOTO_RENDITIONS = (THUMBNAIL_RENDITION, LARGE_RENDITION)
# A photo is uploaded before it is used (core.forms keeps uploads across form errors), so it
# gets every size a project photo may be shown at, the card included should it become a cover.
UPLOAD_RENDITIONS = (*PHOTO_RENDITIONS, CARD_RENDITION)
